<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Fields" labelsEnabled="0">
  <renderer-v2 type="categorizedSymbol" attr="action" forceraster="0" symbollevels="0" enableorderby="0">
    <categories>
      <category value="skipped" label="已跳过 skipped" symbol="0" render="true"/>
      <category value="repaired" label="已修复 repaired" symbol="1" render="true"/>
      <category value="warned" label="提示 warned" symbol="2" render="true"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="215,25,28,255"/>
            <Option name="name" type="QString" value="cross2"/>
            <Option name="outline_color" type="QString" value="215,25,28,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="size" type="QString" value="3.2"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,127,0,255"/>
            <Option name="name" type="QString" value="diamond"/>
            <Option name="outline_color" type="QString" value="255,255,255,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="size" type="QString" value="2.8"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,215,0,255"/>
            <Option name="name" type="QString" value="circle"/>
            <Option name="outline_color" type="QString" value="120,120,0,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="size" type="QString" value="2.4"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <aliases>
    <alias index="0" field="layer" name="图层 layer"/>
    <alias index="1" field="source_id" name="源要素编号 source feature id"/>
    <alias index="2" field="reason" name="原因代码 reason code"/>
    <alias index="3" field="action" name="处理方式 action (repaired, skipped, warned)"/>
    <alias index="4" field="detail" name="详情 detail"/>
  </aliases>
</qgis>

<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Fields" labelsEnabled="0">
  <renderer-v2 type="categorizedSymbol" attr="minutes" forceraster="0" symbollevels="0" enableorderby="1">
    <categories>
      <category value="5" label="5 分钟 min" symbol="0" render="true"/>
      <category value="10" label="10 分钟 min" symbol="1" render="true"/>
      <category value="15" label="15 分钟 min" symbol="2" render="true"/>
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="0,109,44,110"/>
            <Option name="outline_color" type="QString" value="0,109,44,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.4"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="65,171,93,90"/>
            <Option name="outline_color" type="QString" value="65,171,93,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.4"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="161,217,155,70"/>
            <Option name="outline_color" type="QString" value="116,196,118,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.4"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
    <orderby>
      <orderByClause asc="0" nullsFirst="0">&quot;minutes&quot;</orderByClause>
    </orderby>
  </renderer-v2>
  <aliases>
    <alias index="0" field="fac_id" name="设施编号（all 为合并） facility id (all = dissolved)"/>
    <alias index="1" field="fac_name" name="设施名称 facility name"/>
    <alias index="2" field="kind" name="设施类别 facility kind"/>
    <alias index="3" field="minutes" name="步行分钟 walking minutes"/>
    <alias index="4" field="profile" name="步行人群 walking profile"/>
    <alias index="5" field="speed_kmh" name="步行速度（公里/小时） walking speed (km/h)"/>
    <alias index="6" field="area_m2" name="面积（平方米） area (m²)"/>
  </aliases>
</qgis>

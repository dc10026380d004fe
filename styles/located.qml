<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling|Fields" labelsEnabled="0">
  <renderer-v2 type="categorizedSymbol" attr="status" forceraster="0" symbollevels="0" enableorderby="0">
    <categories>
      <category value="grid" label="网格内 in a grid" symbol="0" render="true"/>
      <category value="community" label="社区内无网格 in a community, no grid" symbol="1" render="true"/>
      <category value="street" label="街道内无社区 in a street, no community" symbol="2" render="true"/>
      <category value="outside" label="范围外 outside every street" symbol="3" render="true"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="31,120,180,255"/>
            <Option name="name" type="QString" value="circle"/>
            <Option name="outline_color" type="QString" value="255,255,255,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="size" type="QString" value="2.6"/>
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
            <Option name="size" type="QString" value="3.0"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="227,26,28,255"/>
            <Option name="name" type="QString" value="triangle"/>
            <Option name="outline_color" type="QString" value="255,255,255,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="size" type="QString" value="3.2"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="marker" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="90,90,90,255"/>
            <Option name="name" type="QString" value="cross"/>
            <Option name="outline_color" type="QString" value="90,90,90,255"/>
            <Option name="outline_width" type="QString" value="0.6"/>
            <Option name="size" type="QString" value="3.2"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <aliases>
    <alias index="0" field="id" name="点位编号 point id"/>
    <alias index="1" field="name" name="点位名称 point name"/>
    <alias index="2" field="status" name="落点状态 where it fell (grid, community, street, outside)"/>
    <alias index="3" field="grid_code" name="网格编码 grid code"/>
    <alias index="4" field="group_code" name="楼栋党小组编码（新划网格） building group code (drawn grids)"/>
    <alias index="5" field="comm_code" name="社区代码 community code"/>
    <alias index="6" field="comm_name" name="社区名称 community name"/>
    <alias index="7" field="st_code" name="街道代码 street code"/>
    <alias index="8" field="st_name" name="街道名称 street name"/>
    <alias index="9" field="bldg_id" name="所在建筑编号 building the point stands on"/>
    <alias index="10" field="leader" name="网格长 grid leader"/>
    <alias index="11" field="instructor" name="网格指导员 grid instructor"/>
    <alias index="12" field="worker" name="专职网格员 full-time grid worker"/>
    <alias index="13" field="n_part" name="兼职网格员及志愿者（N） part-time workers and volunteers (N)"/>
    <alias index="14" field="snap_m" name="到最近可步行道路距离（米） walk to the nearest street (m)"/>
    <alias index="15" field="sc_id" name="最近党群服务中心编号 nearest party service centre id"/>
    <alias index="16" field="sc_name" name="最近党群服务中心名称 nearest party service centre name"/>
    <alias index="17" field="sc_min" name="到最近党群服务中心步行分钟 walking minutes to nearest party service centre"/>
    <alias index="18" field="ws_id" name="最近暖心驿站编号 nearest warm station id"/>
    <alias index="19" field="ws_name" name="最近暖心驿站名称 nearest warm station name"/>
    <alias index="20" field="ws_min" name="到最近暖心驿站步行分钟 walking minutes to nearest warm station"/>
    <alias index="21" field="lon" name="经度（WGS84） longitude (WGS84)"/>
    <alias index="22" field="lat" name="纬度（WGS84） latitude (WGS84)"/>
  </aliases>
</qgis>
